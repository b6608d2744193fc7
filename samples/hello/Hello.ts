import { Event, FcFunction, OnInvoke } from 'fc-kernel';

/** The smallest function: a greeting for the text it receives. */
@FcFunction({ name: 'hello' })
export class Hello {
  @OnInvoke()
  greet(@Event() name: string): string {
    return `Hello, ${name.trim() || 'world'}!`;
  }
}
