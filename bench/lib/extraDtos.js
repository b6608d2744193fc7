'use strict';

/*
 * An application's other DTO classes, made at run time: `count` classes whose properties carry
 * class-validator and class-transformer decorators, applied as TypeScript's compiled decorators
 * apply them (the property decorator called with the prototype and the key, and the
 * `design:type` metadata beside it). class-validator keeps one metadata store for the whole
 * process, and its `validate` walks every class in it, so the cost of validating one order can
 * grow with the size of the application even though the order's own classes do not change.
 */

/**
 * Declares `count` DTO classes with each given pair of libraries: class-validator's store is
 * process-wide, class-transformer's is per copy of the library, so every copy a measured engine
 * uses gets the classes' `@Type` metadata.
 */
function defineExtraDtos(count, copies) {
  const [first] = copies;
  const v = first.validator;
  const classes = [];
  for (let i = 0; i < count; i++) {
    // A fresh class per index, named as a compiled class is (class names show in some errors).
    const Dto = { [`ExtraDto${i}`]: class {} }[`ExtraDto${i}`];
    const previous = classes[i - 1];
    const property = (key, designType, ...decorators) => {
      Reflect.defineMetadata('design:type', designType, Dto.prototype, key);
      for (const decorate of decorators) decorate(Dto.prototype, key);
    };
    property('name', String, v.IsString(), v.IsNotEmpty(), v.MaxLength(64));
    property('count', Number, v.IsInt(), v.Min(0), v.Max(1_000_000));
    property('email', String, v.IsOptional(), v.IsEmail());
    property('tags', Array, v.IsArray(), v.ArrayMaxSize(20), v.IsString({ each: true }));
    property('createdAt', String, v.IsISO8601());
    if (previous) {
      property(
        'parent',
        previous,
        v.IsOptional(),
        v.ValidateNested(),
        ...copies.map(({ transformer }) => transformer.Type(() => previous)),
      );
    }
    classes.push(Dto);
  }
  return classes;
}

module.exports = { defineExtraDtos };
