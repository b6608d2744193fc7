import type { HookKind } from '../metadata/records';

/** The words FC's console groups lines by, per hook. */
const MARKER_NAMES: Record<HookKind, string> = {
  invoke: 'Invoke',
  initialize: 'Initialize',
  preStop: 'PreStop',
  preFreeze: 'PreFreeze',
};

export function startMarker(kind: HookKind, requestId: string): string {
  return `FC ${MARKER_NAMES[kind]} Start RequestId: ${requestId}`;
}

/** `handled` picks FC's suffix: `Handled function error` or `Unhandled function error`. */
export function endMarker(kind: HookKind, requestId: string, failure?: { handled: boolean }): string {
  const line = `FC ${MARKER_NAMES[kind]} End RequestId: ${requestId}`;
  if (!failure) return line;
  return `${line}, Error: ${failure.handled ? 'Handled' : 'Unhandled'} function error`;
}
