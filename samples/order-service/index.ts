// The entry: the functions this sample deploys, for `fc-kernel serve|invoke` and for tests.
// Loading it starts nothing; main.ts serves them. fc-kernel, imported first by
// CreateOrderFunction.ts, loads the Reflect metadata API before any decorated class is declared.
export { CreateOrderFunction } from './CreateOrderFunction';
