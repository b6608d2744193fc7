import { IsInt, IsNotEmpty, IsString } from 'class-validator';
import { Ctx, Event, FcContext, FcFunction, injectable, OnInvoke } from '../../src';
import { Idempotent } from '../../src/idempotency';
import { deferred, type Deferred } from '../helpers/async';

/** A payment: its id is the idempotency key of `charge`. */
export class Payment {
  @IsString()
  @IsNotEmpty()
  paymentId!: string;

  @IsInt()
  amount!: number;
}

/**
 * What the handlers under test did, shared by every test kernel (instance) of a test: how many
 * times they ran, and a gate that can hold them mid-run.
 */
@injectable()
export class Ledger {
  runs = 0;
  /** Resolved each time a handler starts. */
  started: Deferred<void> = deferred();
  private gate: Deferred<void> | undefined;

  /** From now on, handlers wait mid-run until `open()`. */
  hold(): void {
    this.gate = deferred();
  }

  open(): void {
    this.gate?.resolve();
    this.gate = undefined;
  }

  async run(): Promise<number> {
    const run = ++this.runs;
    this.started.resolve();
    if (this.gate) await this.gate.promise;
    return run;
  }
}

/** Idempotent on the payment id; fails for a negative amount. */
@FcFunction({ name: 'charge' })
export class ChargeFunction {
  constructor(private readonly ledger: Ledger) {}

  @OnInvoke()
  @Idempotent({ key: 'paymentId' })
  async charge(@Event() payment: Payment, @Ctx() ctx: FcContext): Promise<object> {
    const run = await this.ledger.run();
    if (payment.amount < 0) throw new Error(`declined: ${payment.amount}`);
    return { paymentId: payment.paymentId, charged: payment.amount, run, at: Date.now(), by: ctx.requestId };
  }
}

/** Idempotent on FC's request id (the default key); answers bytes that are not UTF-8. */
@FcFunction({ name: 'render' })
export class RenderFunction {
  constructor(private readonly ledger: Ledger) {}

  @OnInvoke()
  @Idempotent()
  async render(@Event() payment: Payment): Promise<Buffer> {
    const run = await this.ledger.run();
    return Buffer.from([0xff, 0x00, 0x0a, run, ...Buffer.from(payment.paymentId)]);
  }
}

/** Idempotent on a key it computes; with a key of its own option too. */
@FcFunction({ name: 'refund' })
export class RefundFunction {
  constructor(private readonly ledger: Ledger) {}

  @OnInvoke()
  @Idempotent({ key: (payment: Payment) => `refund-of-${payment.paymentId}`, ttlSeconds: 0.3 })
  async refund(@Event() payment: Payment): Promise<string> {
    return `refund ${payment.paymentId} #${await this.ledger.run()}`;
  }
}

/** Answers a large text: over a small body limit. */
@FcFunction({ name: 'report' })
export class ReportFunction {
  constructor(private readonly ledger: Ledger) {}

  @OnInvoke()
  @Idempotent({ key: 'paymentId' })
  async report(@Event() payment: Payment): Promise<string> {
    await this.ledger.run();
    return 'x'.repeat(payment.amount);
  }
}

export const payment = (paymentId: string, amount = 100): Payment => ({ paymentId, amount }) as Payment;
