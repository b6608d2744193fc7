/** Any class constructor. */
export type Constructor<T = unknown> = new (...args: never[]) => T;
