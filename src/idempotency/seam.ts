// TEMPORARY: the interceptor seam's names from the contract, declared here until the core's seam
// is merged; then this file goes and its importers import the core's.
import type { DependencyContainer } from 'tsyringe';
import type { FcContext } from '../context/FcContext';
import type { KernelOptions } from '../kernel/Kernel';
import { encodeResult } from '../kernel/encodeResult';
import type { Constructor } from '../metadata/records';

export interface Invocation<TEvent = unknown> {
  readonly functionName: string;
  readonly functionClass: Constructor;
  readonly method: string;
  readonly instance: object;
  readonly event: TEvent;
  readonly args: readonly unknown[];
  readonly context: FcContext;
}
export type CallNext = () => Promise<unknown>;
export type InterceptorFunction = (invocation: Invocation, next: CallNext) => unknown;
export interface InterceptorProvider {
  forHandler(setup: InterceptorSetup): InterceptorFunction | null;
}
export interface InterceptorSetup {
  readonly functionName: string;
  readonly functionClass: Constructor;
  readonly method: string;
  readonly options: Readonly<KernelOptions>;
  readonly container: DependencyContainer;
}
export class EncodedAnswer {
  constructor(
    readonly body: Buffer | string,
    readonly contentType?: string,
  ) {}
}
export function encodeAnswer(value: unknown): EncodedAnswer {
  if (value instanceof EncodedAnswer) return value;
  const encoded = encodeResult(value);
  return new EncodedAnswer(encoded.body, encoded.contentType);
}
