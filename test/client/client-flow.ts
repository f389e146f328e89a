import type { FlowContext } from './client-kit.js';
import { ownerFlow, suspendAndResume } from './owner-flow.js';
import { tenantFlow, tenantSessions } from './tenant-flow.js';

/** The whole flow a client of the API goes through, each reply checked against the document on the way. */
export async function runClientFlow(ctx: FlowContext, run: string): Promise<void> {
  const owner = await ownerFlow(ctx, run);
  const sessions = await tenantSessions(ctx, owner);
  await tenantFlow(ctx, sessions);
  await suspendAndResume(ctx, owner, sessions.adminPair.accessToken);
}
