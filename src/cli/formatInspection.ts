import type { DependencyNode } from '../di/dependencyGraph';
import type { ConfigurationWhere } from '../errors/ConfigurationError';
import type { ConstraintDescription, FieldDescription } from '../plan/describeDtoFields';
import type { EventDescription, ValidationDescription } from '../plan/describeEvent';
import type {
  FunctionDescription,
  HookDescription,
  InterceptorDescription,
  ParameterDescription,
} from '../plan/describeFunction';
import type { FunctionsDescription, ProblemDescription } from '../plan/describeFunctions';
import type { ResolvedValidationOptions } from '../validation/options';

/** What inspect found in an entry: its functions, its problems, and warnings of its deployment. */
export interface InspectedEntry extends FunctionsDescription {
  /** What the `s.yaml` beside the entry sets against its batch handlers' policies. */
  warnings?: string[];
}

/** Lines of text, each with its depth in the tree (two spaces a level). */
type Lines = [depth: number, text: string][];

const MARK = '✗';

/** An `Object` event is often an interface, which leaves nothing to validate by at run time. */
const UNVALIDATED_JSON = `${MARK} nothing in it is validated: an interface or \`object\` leaves no class at run time. To validate the event, declare it as a class with class-validator decorators; to take raw JSON on purpose, keep it (or say so with @Event(Object))`;

/**
 * An inspection as a terminal shows it: each function as an indented tree (hooks, event, fields
 * and constraints, validation settings, services), then every configuration problem.
 */
export function formatInspection(entry: string, description: InspectedEntry): string {
  const { functions, problems, warnings = [] } = description;
  const lines: Lines = [[0, `${entry}: ${count(functions.length, 'function')}, ${problemSummary(problems.length)}`]];
  for (const fn of functions) {
    lines.push([0, '']);
    lines.push(...functionLines(fn));
  }
  if (warnings.length > 0) {
    lines.push([0, ''], [0, `${count(warnings.length, 'warning')}:`]);
    for (const warning of warnings) lines.push([1, `! ${warning}`]);
  }
  if (problems.length > 0) {
    lines.push([0, ''], [0, `${count(problems.length, 'configuration problem')}:`]);
    for (const problem of problems) lines.push(...problemLines(problem));
  }
  return lines.map(([depth, text]) => (text ? '  '.repeat(depth) + text : '')).join('\n') + '\n';
}

function functionLines(fn: FunctionDescription): Lines {
  const lines: Lines = [[0, `${fn.name}  class ${fn.className}`]];
  lines.push([1, 'hooks']);
  if (fn.hooks.length === 0) lines.push([2, 'none']);
  const width = Math.max(...fn.hooks.map((h) => h.kind.length));
  for (const hook of fn.hooks) {
    lines.push(...hookLines(hook, width));
    if (hook.kind === 'invoke') lines.push(...interceptorLines(fn.interceptors));
  }
  lines.push([1, `event  ${fn.event ? eventLine(fn.event) : noEvent(fn)}`]);
  if (fn.event?.validation) lines.push(...validationLines(fn.event.validation, 2));
  if (fn.event?.decoding === 'json' && fn.event.type === 'Object') lines.push([2, UNVALIDATED_JSON]);
  lines.push([1, 'validation'], ...optionLines(fn.validation.options, 2));
  if (fn.validation.kernel) lines.push([2, `set by the kernel: ${JSON.stringify(fn.validation.kernel)}`]);
  if (fn.validation.function) lines.push([2, `set by @FcFunction: ${JSON.stringify(fn.validation.function)}`]);
  lines.push([1, fn.services.length > 0 ? 'services (constructor)' : 'services (constructor)  none']);
  for (const node of fn.services) lines.push(...nodeLines(node, 2, `${node.parameter}  `));
  for (const warning of fn.warnings) lines.push([1, `warning  ${warning}`]);
  return lines;
}

function hookLines(hook: HookDescription, width: number): Lines {
  const lines: Lines = [
    [2, `${hook.kind.padEnd(width)}  ${hook.method}(${hook.parameters.map(parameterText).join(', ')})`],
  ];
  for (const parameter of hook.parameters) {
    if (parameter.kind === 'inject') lines.push(...nodeLines(parameter.service, 3, `parameter ${parameter.index}  `));
  }
  return lines;
}

const REGISTERED_BY: Record<InterceptorDescription['level'], string> = {
  kernel: 'the kernel',
  function: '@FcFunction',
  class: '@UseInterceptors on the class',
  method: '@UseInterceptors on the method',
};

/** The handler's interceptors, outermost first; nothing when it has none. */
function interceptorLines(interceptors: InterceptorDescription[]): Lines {
  if (interceptors.length === 0) return [];
  const width = Math.max(...interceptors.map((i) => i.name.length));
  return [
    [3, 'interceptors, outermost first'],
    ...interceptors.map((i): [number, string] => [4, `${i.name.padEnd(width)}  ${i.form}, ${REGISTERED_BY[i.level]}`]),
  ];
}

function parameterText(parameter: ParameterDescription): string {
  const problem = parameter.problem ? ` ${MARK} ${parameter.problem}` : '';
  switch (parameter.kind) {
    case 'event':
      return `event ${parameter.type ?? '(no type)'}${problem}`;
    case 'context':
      return `ctx${problem}`;
    case 'headers':
      return `${parameter.name === null ? 'headers' : `header ${parameter.name}`}${problem}`;
    case 'inject':
      return `inject ${parameter.service.token}${problem}`;
    case 'undecorated':
      return `(no decorator)${problem}`;
  }
}

function noEvent(fn: FunctionDescription): string {
  return fn.hooks.some((hook) => hook.kind === 'invoke')
    ? 'none (the handler takes no event)'
    : `unknown: no @OnInvoke() handler could be compiled ${MARK}`;
}

function eventLine(event: EventDescription): string {
  const type = event.type ?? '(no type)';
  switch (event.decoding) {
    case 'bytes':
      return `${type}: the raw bytes`;
    case 'text':
      return `${type}: the bytes as UTF-8 text`;
    case 'json':
      return `${type}: parsed JSON, unvalidated`;
    case 'json-array':
      return `${type}: a parsed JSON array, unvalidated`;
    case 'unsupported':
      return `${type}: not an event type ${MARK}`;
    case 'validated':
      return `${type}: ${validatedSummary(event.validation!)}`;
  }
}

function validatedSummary(validation: ValidationDescription): string {
  if (validation.form === 'object') return 'a JSON object, transformed and validated';
  const elements = validation.elements === 'json-string' ? 'strings of JSON' : 'objects';
  const collection = validation.collection ? `, handed over as a ${validation.collection}` : '';
  return `a JSON array of at most ${validation.maxElements} ${elements}, each validated on its own${collection}`;
}

function validationLines(validation: ValidationDescription, depth: number): Lines {
  if (validation.form === 'array') {
    const element = validation.element;
    const lines: Lines = [[depth, `each element${validation.elements === 'json-string' ? ' (a string of JSON)' : ''}`]];
    return [...lines, ...validationLines(element, depth + 1)];
  }
  const lines: Lines = [[depth, `class ${validation.class}`]];
  const engine = validation.engine;
  lines.push([depth + 1, `engine  ${engine.engine}${engine.reason ? `: ${engine.reason}` : ''}`]);
  if (validation.settings) {
    lines.push([
      depth + 1,
      `settings  @ValidationSettings(${JSON.stringify(validation.settings)}), over the function's`,
    ]);
  }
  lines.push([depth + 1, validation.fields.length > 0 ? 'fields' : 'fields  none']);
  lines.push(...fieldLines(validation.fields, depth + 2));
  if (validation.envelope) {
    const { property, encoding, payload } = validation.envelope;
    lines.push([
      depth + 1,
      `payload in ${property}${encoding === 'json-string' ? ' (a string of JSON)' : ''}, validated on its own`,
    ]);
    lines.push(...validationLines(payload, depth + 2));
  }
  return lines;
}

function fieldLines(fields: FieldDescription[], depth: number): Lines {
  const lines: Lines = [];
  for (const field of fields) {
    const type = fieldType(field);
    const constraints = field.constraints.map(constraintText).join(', ');
    lines.push([depth, `${field.name}${field.optional ? '?' : ''}${type ? `: ${type}` : ''}  ${constraints}`]);
    const nested = field.nested;
    if (nested?.class === null)
      lines.push([depth + 1, `${MARK} no @Type(() => Class): the nested value is not validated`]);
    else if (nested?.repeated) lines.push([depth + 1, `(${nested.class}: described above)`]);
    else if (nested?.fields) lines.push(...fieldLines(nested.fields, depth + 1));
  }
  return lines;
}

function fieldType(field: FieldDescription): string | null {
  const nested = field.nested?.class;
  if (nested) return field.nested!.each || field.type === 'Array' ? `${nested}[]` : nested;
  if (field.transformTo && field.transformTo !== field.type) return `${field.type ?? '?'} as ${field.transformTo}`;
  return field.type;
}

function constraintText(constraint: ConstraintDescription): string {
  const args = constraint.args ? `(${constraint.args.map((arg) => JSON.stringify(arg)).join(', ')})` : '';
  const flags = [
    constraint.each ? 'each' : undefined,
    constraint.groups ? `groups ${constraint.groups.join('|')}` : undefined,
    constraint.always !== undefined ? `always ${constraint.always}` : undefined,
    constraint.conditional ? 'validateIf' : undefined,
    constraint.async ? 'async' : undefined,
    constraint.message !== undefined ? `message ${JSON.stringify(constraint.message)}` : undefined,
    constraint.inactive ? 'not in the groups in force' : undefined,
  ].filter((flag) => flag !== undefined);
  return `${constraint.name}${args}${flags.length > 0 ? ` [${flags.join('; ')}]` : ''}`;
}

function optionLines(options: ResolvedValidationOptions, depth: number): Lines {
  const { maxEventNodes, maxObjectKeys, maxArrayElements, groups, ...flags } = options;
  const lines: Lines = [
    [
      depth,
      Object.entries(flags)
        .map(([key, value]) => `${key} ${String(value)}`)
        .join(', '),
    ],
    [depth, `maxEventNodes ${maxEventNodes}, maxObjectKeys ${maxObjectKeys}, maxArrayElements ${maxArrayElements}`],
  ];
  if (groups) lines.push([depth, `groups ${groups.join(', ')}`]);
  return lines;
}

function nodeLines(node: DependencyNode, depth: number, label: string): Lines {
  const lines: Lines = [
    [depth, `${label}${node.token}: ${nodeSummary(node)}${node.problem ? ` ${MARK} ${node.problem}` : ''}`],
  ];
  if (node.alias) lines.push(...nodeLines(node.alias, depth + 1, 'alias of '));
  if (node.transform) lines.push(...nodeLines(node.transform, depth + 1, 'transformed by '));
  for (const dependency of node.dependencies ?? []) {
    lines.push(...nodeLines(dependency, depth + 1, `${dependency.parameter}  `));
  }
  return lines;
}

function nodeSummary(node: DependencyNode): string {
  const parts: string[] = [];
  if (node.multiple) parts.push('every registration');
  if (node.delayed) parts.push('delayed');
  switch (node.provider) {
    case 'class': {
      const what = node.className === node.token ? 'class' : `class ${node.className}`;
      parts.push(node.registered ? `registered ${what}` : what);
      break;
    }
    case 'value':
      parts.push('registered value');
      break;
    case 'factory':
      parts.push('registered factory');
      break;
    case 'token':
      parts.push('registered alias');
      break;
    case 'per-invocation':
      parts.push("the invocation's own");
      break;
    case 'unregistered':
      parts.push(
        node.deferred
          ? 'not registered yet (needed by the end of @OnInitialize)'
          : node.optional
            ? 'not registered (optional: injected as undefined)'
            : 'not registered',
      );
      break;
    case 'unknown':
      parts.push('unknown at run time');
      break;
  }
  if (node.lifecycle && node.provider !== 'token') parts.push(node.lifecycle);
  if (node.repeated) parts.push('its dependencies are listed above');
  return parts.join(', ');
}

function problemLines(problem: ProblemDescription): Lines {
  return [
    [1, `${MARK} [${problem.code}]${describeWhere(problem.where)}`],
    [2, problem.message],
  ];
}

function describeWhere(where: ConfigurationWhere): string {
  const parts: string[] = [];
  if (where.className !== undefined) {
    if (where.method !== undefined) parts.push(`${where.className}.${where.method}`);
    else parts.push(where.parameter === undefined ? where.className : `${where.className} constructor`);
  }
  if (where.parameter !== undefined) parts.push(`parameter ${where.parameter}`);
  if (where.property !== undefined) parts.push(`property ${where.property}`);
  return parts.length > 0 ? ` at ${parts.join(', ')}` : '';
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function problemSummary(n: number): string {
  return n === 0 ? 'no configuration problems' : count(n, 'configuration problem');
}
