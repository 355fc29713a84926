/**
 * The scheduled reconciliation's fixed input, `{ "reconcile": "partner-central" }` (ReconcileInput in ./api-requests.ts),
 * checked without zod: it is the only input functions/events/reconcile.ts reads, and importing zod at all would add
 * ~13 KB to that function (issue 11 §1). test/unit/api-confirm-address.test.ts checks it accepts what ReconcileInput does.
 */
export function isReconcileInput(event: unknown): boolean {
  return typeof event === 'object' && event !== null && !Array.isArray(event) && (event as { reconcile?: unknown }).reconcile === 'partner-central';
}
