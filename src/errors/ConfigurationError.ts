/** What a boot failure is about; stable across releases, so tools can group and explain them. */
export type ConfigurationErrorCode =
  | 'NO_FUNCTIONS'
  | 'DUPLICATE_FUNCTION_NAME'
  | 'NOT_A_FUNCTION'
  | 'NO_INVOKE_HOOK'
  | 'DUPLICATE_HOOK'
  | 'HOOK_NOT_A_METHOD'
  | 'EVENT_OPTION_WITH_DECORATORS'
  | 'EVENT_OUTSIDE_INVOKE'
  | 'UNDECORATED_PARAMETER'
  | 'PARAMETER_DECORATED_TWICE'
  | 'DUPLICATE_EVENT_PARAMETER'
  | 'EVENT_TYPE_UNKNOWN'
  | 'SECRET_HEADER'
  | 'UNSUPPORTED_EVENT_TYPE'
  | 'DTO_WITHOUT_CONSTRAINTS'
  | 'NESTED_WITHOUT_CONSTRAINTS'
  | 'NESTED_WITHOUT_TYPE'
  | 'INVALID_DTO'
  | 'DECORATOR_MISUSE'
  | 'INCOMPATIBLE_DEPENDENCY'
  | 'UNREGISTERED_DEPENDENCY'
  | 'NOT_INJECTABLE'
  | 'MISSING_TYPE_METADATA'
  | 'UNRESOLVABLE_PARAMETER_TYPE'
  | 'DEPENDENCY_CYCLE'
  | 'CONTEXT_OUTSIDE_INVOCATION'
  | 'INVALID_PROVIDER'
  | 'DUPLICATE_PROVIDER'
  | 'INVALID_HEALTH_PATH'
  | 'INVALID_YOUNG_GENERATION'
  | 'INVALID_INTERCEPTOR'
  | 'UNRESOLVABLE_INTERCEPTOR'
  | 'INVALID_LOG_OPTION'
  | 'INVALID_OBSERVER'
  | 'INVALID_LAYER_OPTION'
  | 'MISSING_PEER_DEPENDENCY'
  | 'STANDARD_DECORATORS'
  | 'LAYER_NOT_CONFIGURED';

/** Where a configuration problem sits: the class, and the method, parameter or property in it. */
export interface ConfigurationWhere {
  className?: string;
  method?: string;
  parameter?: number;
  property?: string;
}

/**
 * A mistake in how functions are declared or wired, found when a kernel is created (never at the
 * first request). `code` says what kind of mistake, `where` names the class and method.
 *
 * @example
 * ```ts
 * try {
 *   createKernel({ functions: [BrokenFunction] });
 * } catch (error) {
 *   if (error instanceof ConfigurationError) console.error(error.code, error.where, error.message);
 * }
 * ```
 */
export class ConfigurationError extends TypeError {
  constructor(
    readonly code: ConfigurationErrorCode,
    message: string,
    readonly where: ConfigurationWhere = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  override get name(): string {
    return 'ConfigurationError';
  }
}
