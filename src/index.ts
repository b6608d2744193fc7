import 'reflect-metadata';

// tsyringe needs the Reflect polyfill before it loads; re-exported here so that importing
// fc-kernel first is all a user needs.
export {
  container,
  inject,
  injectable,
  injectAll,
  Lifecycle,
  registry,
  scoped,
  singleton,
  type DependencyContainer,
  type Disposable,
  type InjectionToken,
} from 'tsyringe';

export { FcFunction, type FcFunctionOptions } from './decorators/FcFunction';
export { UseInterceptors } from './decorators/UseInterceptors';
export { OnInitialize, OnInvoke, OnPreStop, OnPreFreeze } from './decorators/lifecycle';
export { Event, Ctx, Headers, Inject } from './decorators/params';
export { ValidationSettings } from './decorators/ValidationSettings';
export type {
  ArrayEventType,
  Constructor,
  DtoValidationSettings,
  EventType,
  EventValidationSettings,
  FunctionProvider,
  HookKind,
  HookOptions,
} from './metadata/records';
export { MetadataStore, metadataStore, validationSettingsOf } from './metadata/MetadataStore';

export { FcContext } from './context/FcContext';
export type { FcCredentials, FcFunctionInfo, FcInvocationType, FcServiceInfo, FcTracing } from './context/FcContext';
export type { RequestHeaders } from './context/headers';
export { currentInvocation, type CurrentInvocation } from './context/invocation';
export type { TraceContext } from './context/traceContext';
export { FC_CONTEXT, FC_LOGGER } from './di/tokens';

export { FcLogger, type LogLevel } from './logging/FcLogger';
export type { LogFormat, LogLevelName } from './logging/logFormat';
export { flushLogs, type LogSink } from './logging/LogSink';

export {
  FcError,
  ValidationError,
  EventDecodeError,
  PayloadTooLargeError,
  InitializationError,
  FunctionNotFoundError,
  RouteNotFoundError,
  TimeoutError,
  BadRequestError,
  InstanceStoppingError,
  type FieldError,
} from './errors/FcError';
export type { ErrorBody } from './errors/errorBody';
export { ConfigurationError, type ConfigurationErrorCode, type ConfigurationWhere } from './errors/ConfigurationError';

export type {
  EventValidationOptions,
  EventValidator,
  ResolvedValidationOptions,
  ValidationEngineDecision,
} from './validation/options';
export { DEFAULT_VALIDATION_OPTIONS } from './validation/options';
export { MAX_EVENT_DEPTH, MAX_EVENT_NODES } from './validation/boundedJson';
export { classValidatorEventValidator } from './validation/ClassValidatorEventValidator';
export {
  compiledEventValidator,
  type CompiledEventValidation,
  type CompilingEventValidator,
  type EngineDecision,
} from './validation/compiled';
export { DEFAULT_EVENT_VALIDATOR } from './validation/defaultEngine';
export { validateJson } from './validation/validateJson';

export { Kernel, createKernel, DEFAULT_BODY_LIMIT } from './kernel/Kernel';
export type { KernelOptions, KernelRequest, KernelResponse, PreStopOutcome } from './kernel/Kernel';
export type {
  InterceptorLike,
  InterceptorProvider,
  InterceptorSetup,
  InvocationAnnotations,
  InvocationObserver,
  ObservedInvocation,
  ObserveInvocation,
  ObservedRecord,
  ObserveRecord,
  ObserverSetup,
} from './kernel/KernelOptions';
export { annotateInvocation } from './kernel/annotateInvocation';
export { runRecord } from './kernel/runRecord';
export type { CallNext, Interceptor, InterceptorFunction, Invocation } from './kernel/interceptor';
export { EncodedAnswer, encodeAnswer } from './kernel/encodeResult';
export type { CallerSignal } from './kernel/CallerSignal';
export {
  FcHttpServer,
  listen,
  DEFAULT_DRAIN_TIMEOUT_MS,
  DEFAULT_PRE_STOP_TIMEOUT_MS,
  type HttpServerOptions,
  type ShutdownOutcome,
} from './transport/httpServer';
export { serve, type ServeOptions } from './transport/serve';
export { PortUnavailableError } from './transport/PortUnavailableError';
export { DEFAULT_YOUNG_GENERATION_MIB } from './transport/youngGeneration';
export { runEnvironmentEvent, type EnvironmentEventOutcome } from './transport/environmentEvent';
