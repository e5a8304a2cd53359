// Spending limits: a run budget shared by every stage of a backend, and an optional stage budget;
// each in USD (priced from the model catalog) and/or in tokens (works for any model).
import { TerminalStageError } from '../../engine/errors.ts';
import type { Usage } from '../../engine/outcome.ts';

export class BudgetExhaustedError extends TerminalStageError {
  readonly spentUsd: number;
  readonly limitUsd: number | undefined;
  readonly spentTokens: number;
  readonly limitTokens: number | undefined;
  /** What the stage had used when the budget stopped it, so the run's totals stay complete. */
  usage?: Usage;
  cost_usd?: number | null;
  constructor(spent: { usd: number; tokens: number }, limit: { usd?: number; tokens?: number }, scope: 'run' | 'stage') {
    const overTokens = limit.tokens !== undefined && spent.tokens > limit.tokens;
    const what = overTokens ? `${spent.tokens} tokens of ${limit.tokens}` : `$${spent.usd.toFixed(4)} of $${limit.usd}`;
    super('budget_exhausted', `budget exhausted: spent ${what}${scope === 'stage' ? ' for this stage' : ''}`);
    this.spentUsd = spent.usd;
    this.limitUsd = limit.usd;
    this.spentTokens = spent.tokens;
    this.limitTokens = limit.tokens;
  }
}

export class Budget {
  readonly limitUsd: number | undefined;
  readonly limitTokens: number | undefined;
  readonly scope: 'run' | 'stage';
  #spent = 0;
  #tokens = 0;

  constructor(limitUsd: number | undefined, scope: 'run' | 'stage' = 'run', alreadySpent = 0, limitTokens?: number) {
    this.limitUsd = limitUsd;
    this.limitTokens = limitTokens;
    this.scope = scope;
    this.#spent = alreadySpent;
  }

  get spentUsd(): number {
    return this.#spent;
  }

  get spentTokens(): number {
    return this.#tokens;
  }

  /** Records a turn; an unknown price (null) cannot be counted in USD (runs with a USD budget refuse such models up front). */
  charge(costUsd: number | null, usage?: Usage): void {
    if (typeof costUsd === 'number') this.#spent += costUsd;
    if (usage) this.#tokens += usage.input_tokens + usage.output_tokens;
  }

  /** Throws a terminal error once the spend is over either limit. */
  check(): void {
    const overUsd = this.limitUsd !== undefined && this.#spent > this.limitUsd;
    const overTokens = this.limitTokens !== undefined && this.#tokens > this.limitTokens;
    if (overUsd || overTokens) {
      throw new BudgetExhaustedError({ usd: this.#spent, tokens: this.#tokens }, { ...(this.limitUsd !== undefined ? { usd: this.limitUsd } : {}), ...(this.limitTokens !== undefined ? { tokens: this.limitTokens } : {}) }, this.scope);
    }
  }
}
