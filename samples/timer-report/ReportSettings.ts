import { plainToInstance } from 'class-transformer';
import { IsEmail, IsInt, IsISO4217CurrencyCode, Max, Min, validateSync } from 'class-validator';
import type { InjectionToken } from 'fc-kernel';

/**
 * How this deployment writes its reports, from the function's environment variables (s.yaml's
 * `environmentVariables`). Each message names the variable to fix.
 */
export class ReportSettings {
  /** `REPORT_SENDER`: the address reports are sent from. Required. */
  @IsEmail({}, { message: 'REPORT_SENDER must be an email address' })
  sender!: string;

  /** `REPORT_CURRENCY`: the currency amounts are reported in. Default `CNY`. */
  @IsISO4217CurrencyCode({ message: 'REPORT_CURRENCY must be an ISO 4217 currency code, such as CNY or USD' })
  currency!: string;

  /** `REPORT_TOP_PRODUCTS`: how many best-selling products the report lists. Default 5. */
  @Min(1, { message: 'REPORT_TOP_PRODUCTS must be at least 1' })
  @Max(20, { message: 'REPORT_TOP_PRODUCTS must be at most 20' })
  // Nearest the property, so checked first: with stopAtFirstError, 'ten' is not a whole number, full stop.
  @IsInt({ message: 'REPORT_TOP_PRODUCTS must be a whole number' })
  topProducts!: number;
}

/** The environment the settings are read from; `process.env` unless a test binds another. */
export const REPORT_ENVIRONMENT: InjectionToken<NodeJS.ProcessEnv> = Symbol('ReportEnvironment');

/** The settings are not usable: the message lists every variable to fix. */
export class ReportSettingsError extends Error {
  override readonly name = 'ReportSettingsError';

  constructor(readonly problems: string[]) {
    super(`invalid report settings: ${problems.join('; ')}`);
  }
}

/**
 * Reads and validates the settings, or throws a `ReportSettingsError` naming every variable that
 * is wrong, once each. Run at initialization, so that a misconfigured deployment fails before its first
 * report rather than in the middle of one.
 */
export function readReportSettings(env: NodeJS.ProcessEnv): ReportSettings {
  const settings = plainToInstance(ReportSettings, {
    sender: env.REPORT_SENDER,
    currency: (env.REPORT_CURRENCY ?? 'CNY').toUpperCase(),
    // Number('') is 0 and Number('5x') is NaN: both fail the integer rule, as they should.
    topProducts: Number(env.REPORT_TOP_PRODUCTS ?? '5'),
  });
  const errors = validateSync(settings, { forbidUnknownValues: true, stopAtFirstError: true });
  if (errors.length > 0) throw new ReportSettingsError(errors.flatMap((e) => Object.values(e.constraints ?? {})));
  return settings;
}
