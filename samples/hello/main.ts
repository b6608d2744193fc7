import { Event, FcFunction, OnInvoke, serve } from 'fc-kernel';

/** The smallest function: echoes a greeting for the text it receives. */
@FcFunction()
export class Hello {
  @OnInvoke()
  greet(@Event() name: string): string {
    return `Hello, ${name.trim() || 'world'}!`;
  }
}

void serve(Hello);
