// The entry: the functions this project deploys, for `fc-kernel invoke|serve` and for the tests.
// Loading it starts nothing; main.ts serves them.
export { QuoteFunction } from './quote/QuoteFunction';
