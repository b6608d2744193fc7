import type { InjectionToken } from 'tsyringe';
import type { FcContext } from '../context/FcContext';
import type { FcLogger } from '../logging/FcLogger';

/** The invocation's `FcContext`, registered in each invocation's child container. */
export const FC_CONTEXT: InjectionToken<FcContext> = Symbol.for('fc-kernel:FcContext');

/** The invocation's logger, registered in each invocation's child container. */
export const FC_LOGGER: InjectionToken<FcLogger> = Symbol.for('fc-kernel:FcLogger');
