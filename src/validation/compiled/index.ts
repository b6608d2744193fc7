export {
  compiledEventValidator,
  type CompiledEventValidation,
  type CompilingEventValidator,
  type EngineDecision,
} from './compiledEventValidator';
