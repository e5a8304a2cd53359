// Spending limits: a run budget shared by every stage of a backend, and an optional stage budget.
import { TerminalStageError } from '../../engine/errors.ts';
import type { Usage } from '../../engine/outcome.ts';

export class BudgetExhaustedError extends TerminalStageError {
  readonly spentUsd: number;
  readonly limitUsd: number;
  /** What the stage had used when the budget stopped it, so the run's totals stay complete. */
  usage?: Usage;
  cost_usd?: number | null;
  constructor(spentUsd: number, limitUsd: number, scope: 'run' | 'stage') {
    super('budget_exhausted', `budget exhausted: spent $${spentUsd.toFixed(4)} of $${limitUsd}${scope === 'stage' ? ' for this stage' : ''}`);
    this.spentUsd = spentUsd;
    this.limitUsd = limitUsd;
  }
}

export class Budget {
  readonly limitUsd: number | undefined;
  readonly scope: 'run' | 'stage';
  #spent = 0;

  constructor(limitUsd: number | undefined, scope: 'run' | 'stage' = 'run', alreadySpent = 0) {
    this.limitUsd = limitUsd;
    this.scope = scope;
    this.#spent = alreadySpent;
  }

  get spentUsd(): number {
    return this.#spent;
  }

  /** Records a cost; unknown prices (null) cannot be counted and are skipped. */
  charge(costUsd: number | null): void {
    if (typeof costUsd === 'number') this.#spent += costUsd;
  }

  /** Throws a terminal error once the spend is over the limit. */
  check(): void {
    if (this.limitUsd !== undefined && this.#spent > this.limitUsd) throw new BudgetExhaustedError(this.#spent, this.limitUsd, this.scope);
  }
}
