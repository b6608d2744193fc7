import { ValidationTypes } from 'class-validator';
import { validatorStorage } from './classValidatorInternals';
import type { NestedGraph } from './nestedShapes';

/**
 * The names of class-validator 0.15's own constraints (`isString`, `min`, ...), each of which
 * answers at once: the values of the constants it exports (`IS_STRING`, `MIN`, ...), listed here
 * rather than read from its namespace, which would keep every validator (validator.js and
 * libphonenumber-js with them) in a bundle of an app that uses three. A test holds the list to
 * the installed class-validator; a constraint a later release adds counts as possibly
 * asynchronous until it is listed, which costs speed, never correctness.
 */
export const CLASS_VALIDATOR_CONSTRAINTS: ReadonlySet<string> = new Set(
  `
  IsFirebasePushId arrayContains arrayMaxSize arrayMinSize arrayNotContains arrayNotEmpty
  arrayUnique contains equals isAlpha isAlphanumeric isArray isAscii isBIC isBase32 isBase58
  isBase64 isBoolean isBooleanString isBtcAddress isByteLength isCreditCard isCurrency isDataURI
  isDate isDateString isDecimal isDefined isDivisibleBy isEAN isEmail isEmpty isEnum
  isEthereumAddress isFqdn isFullWidth isHSL isHalfWidth isHash isHexColor isHexadecimal isIBAN
  isISO31661Alpha2 isISO31661Alpha3 isISO31661Numeric isISO4217CurrencyCode isISO6391 isISRC
  isISSN isIdentityCard isIn isInstance isInt isIp isIsbn isIsin isIso8601 isJson isJwt isLatLong
  isLatitude isLength isLocale isLongitude isLowercase isMacAddress isMagnetURI isMilitaryTime
  isMimeType isMobilePhone isMongoId isMultibyte isNegative isNotEmpty isNotEmptyObject isNotIn
  isNumber isNumberString isObject isOctal isOptional isPassportNumber isPhoneNumber isPort
  isPositive isPostalCode isRFC3339 isRgbColor isSemVer isString isStrongPassword isSurrogatePair
  isTaxId isTimeZone isUppercase isUrl isUuid isVariableWidth matches max maxDate maxLength min
  minDate minLength notContains notEquals
  `
    .trim()
    .split(/\s+/),
);

/**
 * Whether every constraint of every class in a DTO's nested graph answers at once, so that
 * `validateSync` gives the same verdict as `validate`. `validateSync` skips constraints declared
 * `async: true`, and a constraint that answers a promise without declaring it (which
 * class-validator allows, and `validate` awaits) would pass unchecked: so any constraint that is
 * not one of class-validator's own counts as possibly asynchronous, as does `@ValidatePromise`,
 * and so does a graph with a `@Type` function that reads its options (its classes are not known).
 */
export function validatesSynchronously(graph: NestedGraph): boolean {
  if (graph.perEvent.length > 0) return false;
  const storage = validatorStorage();
  for (const cls of graph.classes.keys()) {
    for (const metadata of storage.getTargetValidationMetadatas(cls, '', true, false)) {
      if (metadata.type === ValidationTypes.PROMISE_VALIDATION) return false;
      if (metadata.type !== ValidationTypes.CUSTOM_VALIDATION) continue;
      for (const constraint of storage.getTargetValidatorConstraints(metadata.constraintCls)) {
        const builtIn = constraint.name !== undefined && CLASS_VALIDATOR_CONSTRAINTS.has(constraint.name);
        if (constraint.async || !builtIn) return false;
      }
    }
  }
  return true;
}
