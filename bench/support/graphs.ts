// DOT sources for the benchmarks, generated so that every size has the same shape.

function quote(text: string): string {
  return `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n')}"`;
}

/** start → s0 → … → s(n−1) → exit; every stage a box with a prompt. */
export function linearDot(stages: number): string {
  const lines = [
    'digraph linear_bench {',
    `  graph [goal=${quote('Exercise the executor on a long linear pipeline')}, max_steps=${stages + 10}]`,
    '  start [shape=Mdiamond]',
    '  exit [shape=Msquare]',
  ];
  for (let i = 0; i < stages; i++) {
    lines.push(`  s${i} [shape=box, prompt=${quote(`Stage ${i} of ${stages}: make one small change towards $goal and describe it.`)}]`);
  }
  const chain = ['start', ...Array.from({ length: stages }, (_, i) => `s${i}`), 'exit'];
  for (let i = 1; i < chain.length; i++) lines.push(`  ${chain[i - 1]} -> ${chain[i]}`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** Nodes in one phase of the factory-shaped graph. */
export const NODES_PER_PHASE = 10;

const STYLESHEET = [
  '* { llm_provider: anthropic; llm_model: claude-sonnet-4-5; }',
  '.review { llm_model: claude-opus-4-1; reasoning_effort: high; }',
  '.fix { reasoning_effort: medium; }',
  '#plan_0 { reasoning_effort: high; }',
].join(' ');

/**
 * A factory-shaped graph: `phases` subgraphs of ten nodes each (plan, implement, a parallel
 * fan-out to a tool check and an LLM lint joined by a fan-in, a diamond on the result, a fix loop
 * back to implement, a review goal gate and a human approval gate whose "revise" answer loops
 * back), chained start → phase 0 → … → exit. 2 + 10·phases nodes, 14·phases + 1 edges; the model
 * stylesheet, graph attributes and default blocks stay the same at every size.
 */
export function factoryShapedDot(phases: number): string {
  const lines = [
    'digraph factory_bench {',
    '  graph [',
    `    goal=${quote('Implement the specification in specs/ until every holdout scenario passes')},`,
    `    label=${quote('Synthetic factory')},`,
    `    model_stylesheet=${quote(STYLESHEET)},`,
    '    default_max_retries=1,',
    '    default_max_visits=10,',
    `    max_steps=${Math.max(500, phases * 40)},`,
    '    default_fidelity="compact",',
    '    rankdir=LR',
    '  ]',
    '  node [shape=box, timeout=900s]',
    '  edge [fidelity="compact"]',
    '',
    '  start [shape=Mdiamond, label="Start"]',
    '  exit [shape=Msquare, label="Done"]',
  ];
  for (let p = 0; p < phases; p++) {
    lines.push(
      '',
      `  subgraph cluster_phase_${p} {`,
      `    label=${quote(`Phase ${p}`)}`,
      '    node [max_retries=2]',
      `    plan_${p} [label=${quote(`Plan phase ${p}`)}, prompt=${quote(`Read the specification and the previous phase's notes.\nWrite a plan for phase ${p} of: $goal`)}]`,
      `    impl_${p} [label=${quote(`Implement phase ${p}`)}, prompt=${quote(`Implement the plan for phase ${p}. Keep the tests green.\nGoal: $goal`)}, allow_partial=true]`,
      `    fan_${p} [shape=component, label=${quote('Checks')}, max_parallel=2, join_policy="wait_all"]`,
      `    unit_${p} [shape=parallelogram, label=${quote('Unit tests')}, tool_command=${quote('npm test -- --ci')}, timeout=10m]`,
      `    lint_${p} [label=${quote('Lint review')}, prompt=${quote(`Review the diff of phase ${p} for style problems.`)}, fidelity="truncate"]`,
      `    join_${p} [shape=tripleoctagon, label=${quote('Join checks')}]`,
      `    check_${p} [shape=diamond, label=${quote('Checks passed?')}]`,
      `    fix_${p} [class="fix", label=${quote(`Fix phase ${p}`)}, prompt=${quote('Fix what the checks reported. Do not weaken any test.')}, max_visits=5]`,
      `    review_${p} [class="review", label=${quote(`Review phase ${p}`)}, prompt=${quote(`Review phase ${p} against the specification for $goal.`)}, goal_gate=true, retry_target=impl_${p}]`,
      `    gate_${p} [shape=hexagon, label=${quote(`Approve phase ${p}?`)}, human.default_choice="A"]`,
      '  }',
      `  plan_${p} -> impl_${p} -> fan_${p}`,
      `  fan_${p} -> unit_${p}`,
      `  fan_${p} -> lint_${p}`,
      `  unit_${p} -> join_${p}`,
      `  lint_${p} -> join_${p}`,
      `  join_${p} -> check_${p}`,
      `  check_${p} -> review_${p} [label="pass", condition="outcome=success", weight=2]`,
      `  check_${p} -> fix_${p} [label="fail", condition="outcome!=success"]`,
      `  fix_${p} -> impl_${p} [label="retry", fidelity="full", thread_id="fix_loop_${p}"]`,
      `  review_${p} -> gate_${p} [condition="outcome=success && context.review_ready=true"]`,
      `  review_${p} -> fix_${p} [condition="outcome=fail"]`,
      `  gate_${p} -> impl_${p} [label="[R] Revise"]`,
    );
  }
  lines.push('');
  lines.push(`  start -> ${phases > 0 ? 'plan_0' : 'exit'}`);
  for (let p = 0; p < phases; p++) {
    const next = p + 1 < phases ? `plan_${p + 1}` : 'exit';
    lines.push(`  gate_${p} -> ${next} [label="[A] Approve"]`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** Phases for a factory-shaped graph of about `nodes` nodes. */
export function phasesFor(nodes: number): number {
  return Math.max(1, Math.round((nodes - 2) / NODES_PER_PHASE));
}
