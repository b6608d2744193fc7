import { ValidationError, type FieldError } from '../errors/FcError';
import type { Constructor } from '../metadata/records';
import { failureMessage } from './compiled/messages';
import { readNestedGraph, type NestedGraph, type NestedProperty } from './nestedShapes';

/** Refuses a parsed event class-transformer cannot transform; `null` when none can be. */
export type DiscriminatedArrayCheck = ((plain: unknown) => void) | null;

/**
 * Compiles, at boot, the check run on a parsed event before either engine transforms it, for a
 * DTO whose graph holds a discriminated `@Type` (or may, behind a `@Type` function that reads
 * its options): class-transformer reads the discriminator of each element of such an array
 * without testing that it is an object, and fails on a `null` with a TypeError. Such an element
 * is refused with the error class-validator gives a `null` element of a nested array. Follows
 * the event along the graph's properties (a discriminated value as its subtype, an
 * option-reading `@Type` as it answers for the event), with an explicit stack: the event may be
 * as deep as the decoder allows.
 */
export function compileDiscriminatedArrayCheck(dto: Constructor, graph: NestedGraph): DiscriminatedArrayCheck {
  const discriminated = [...graph.classes.values()].some((properties) => properties.some((p) => p.discriminator));
  if (!discriminated && graph.perEvent.length === 0) return null;
  const graphs = new GraphsMet(graph);
  return (plain) => {
    const walk: Walk = { stack: [{ value: plain, cls: dto, path: '' }], errors: null };
    while (walk.stack.length > 0) {
      const { value, cls, path } = walk.stack.pop()!;
      if (value === null || typeof value !== 'object' || Array.isArray(value)) continue;
      const record = value as Record<string, unknown>;
      for (const property of graphs.propertiesOf(cls, record)) {
        for (const key of property.plainKeys) visit(walk, record[key], property, path);
      }
    }
    if (walk.errors !== null) throw new ValidationError(walk.errors);
  };
}

interface Walk {
  stack: { value: unknown; cls: Constructor; path: string }[];
  errors: FieldError[] | null;
}

/** One property's value: a `null` element of its discriminated array is an error; objects are walked. */
function visit(walk: Walk, nested: unknown, property: NestedProperty, path: string): void {
  if (nested === null || typeof nested !== 'object') return;
  const at = path ? `${path}.${property.name}` : property.name;
  if (!Array.isArray(nested)) {
    walk.stack.push({ value: nested, cls: plainClassOf(nested, property), path: at });
    return;
  }
  for (let i = 0; i < nested.length; i++) {
    const element: unknown = nested[i];
    if (element === null && property.discriminator) {
      const m = property.metadata;
      (walk.errors ??= []).push({
        path: `${at}.${i}`,
        constraints: { [m.type]: failureMessage(m.target as object, element, m, undefined) },
      });
    } else if (element !== null && typeof element === 'object') {
      walk.stack.push({ value: element, cls: plainClassOf(element, property), path: `${at}.${i}` });
    }
  }
}

/** The nested properties of the classes an event reaches: the DTO's graph, and those met per event. */
class GraphsMet {
  private readonly met = new Map<unknown, NestedGraph | null>();

  constructor(private readonly graph: NestedGraph) {}

  /** `cls`'s nested properties, those an option-reading `@Type` names for `value` included. */
  propertiesOf(cls: Constructor, value: Record<string, unknown>): NestedProperty[] {
    const graph = this.graphOf(cls);
    const known = graph?.classes.get(cls) ?? [];
    const perEvent = graph?.perEvent.filter((p) => p.owner === cls) ?? [];
    if (perEvent.length === 0) return known;
    const properties = [...known];
    for (const p of perEvent) {
      let type: unknown;
      try {
        // As class-transformer calls it; one that fails here fails there too.
        type = p.typeFunction({ newObject: {}, object: value, property: p.name });
      } catch {
        continue;
      }
      if (typeof type !== 'function' || type === Object || this.graphOf(type as Constructor) === null) continue;
      properties.push({
        name: p.name,
        types: [type as Constructor],
        discriminator: p.discriminator,
        array: undefined,
        metadata: p.metadata,
        plainKeys: p.plainKeys,
      });
    }
    return properties;
  }

  private graphOf(cls: Constructor): NestedGraph | null {
    if (this.graph.classes.has(cls)) return this.graph;
    if (!this.met.has(cls)) {
      let graph: NestedGraph | null;
      try {
        graph = readNestedGraph(cls, cls.name);
      } catch {
        // A class the engines refuse at its first value: they answer for it.
        graph = null;
      }
      this.met.set(cls, graph);
    }
    return this.met.get(cls)!;
  }
}

/** The class class-transformer gives a plain value of `property`: its subtype when it names one. */
function plainClassOf(value: object, property: NestedProperty): Constructor {
  const discriminator = property.discriminator;
  if (discriminator) {
    const name = (value as Record<string, unknown>)[discriminator.property];
    const subType = discriminator.subTypes.find((s) => s.name === name)?.value;
    if (typeof subType === 'function') return subType as Constructor;
  }
  return property.types[0];
}
