import express, { type Router } from 'express';
import { and, eq, isNull, type SQL } from 'drizzle-orm';
import type { FounderCallContext } from '@dreamseed/contracts';
import { badRequest, notFound, withOwnerRole } from '@dreamseed/platform';
import type { GatewayDb } from '../db/client';
import { users } from '../db/schema';

const E164 = /^\+[1-9][0-9]{6,14}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The gateway's internal read API, for the other services only (the compose network; loopback under npm
 * start): never published through the public routes' CORS or docs.
 */
export function internalRouter(db: GatewayDb): Router {
  const router = express.Router();

  const founderWhere = async (condition: SQL) => {
    const [founder] = await withOwnerRole(db, 'gateway', (tx) =>
      tx
        .select({
          id: users.id,
          customerPhone: users.customerPhone,
          customerName: users.customerName,
          businessName: users.businessName,
          businessType: users.businessType,
          currentCallStage: users.currentCallStage,
          assistantType: users.assistantType,
          individualAssistantId: users.individualAssistantId,
          status: users.status,
        })
        .from(users)
        .where(and(condition, isNull(users.deletedAt))),
    );
    if (!founder) throw notFound('No such founder.');
    return founder satisfies Omit<FounderCallContext, 'assistantType'> & { assistantType: string };
  };

  router.get('/founders/by-phone/:phone', async (req, res) => {
    const phone = req.params.phone;
    if (!E164.test(phone)) throw badRequest('invalid_phone', 'The phone number must be in E.164 format.');
    res.json(await founderWhere(eq(users.customerPhone, phone)));
  });

  router.get('/founders/:id', async (req, res) => {
    if (!UUID.test(req.params.id)) throw notFound('No such founder.');
    res.json(await founderWhere(eq(users.id, req.params.id)));
  });

  return router;
}
