// The entry: the functions this sample deploys, for `fc-kernel serve|invoke` and for tests.
// Loading it starts nothing; main.ts serves them.
export { SalesReportFunction } from './SalesReportFunction';
