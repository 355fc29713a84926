// The local Partner Central as a part of `npm start`: the stand-in on its own port (PARTNER_CENTRAL_PORT, default
// 8090), the roles of the seeded partner profiles registered (each partner's `filing.roleArn` with its external id, and
// one solution per catalog), its catalogs (opportunities, benefit applications and allocations) kept in `--data DIR`
// (partner-central.json), and its events put on the local
// event bus once the runtime has built it from the template (events published before then are queued).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Server } from 'node:http';
import type { EventDelivery, LocalEventBus } from '../event-rules.ts';
import { closeServer, listen } from '../net.ts';
import type { Clock } from '../clock.ts';
import type { PartnerCentralEvent } from './catalog.ts';
import { partnerCentralAdmin, type EventFate, type PartnerCentralDesk } from './admin.ts';
import { createPartnerCentralServer, PartnerCentralStandIn, type PartnerCentralState } from './server.ts';

export interface LocalPartnerCentral {
  readonly url: string;
  readonly standIn: PartnerCentralStandIn;
  readonly admin: ReturnType<typeof partnerCentralAdmin>;
  /** From now on, events go to this bus (the queued ones first). */
  bindBus(bus: LocalEventBus): void;
  close(): Promise<void>;
}

type PartnerFile = { partners?: { id: string; filing?: { roleArn: string; externalId?: string } }[] };

export async function startPartnerCentral(opts: { host: string; port: number; clock: Clock; dataDir: string | undefined; partnersFile: string | null; log: (line: string) => void }): Promise<LocalPartnerCentral> {
  const stateFile = opts.dataDir ? join(opts.dataDir, 'partner-central.json') : undefined;
  const saved = stateFile && existsSync(stateFile) ? (JSON.parse(readFileSync(stateFile, 'utf8')) as PartnerCentralState) : undefined;
  let bus: LocalEventBus | undefined;
  const queued: PartnerCentralEvent[] = [];
  let fate: EventFate = 'delivered';
  const publish = (event: PartnerCentralEvent): void => {
    if (fate === 'lost') return;
    const copies = fate === 'duplicated' ? 2 : 1;
    for (let i = 0; i < copies; i++) {
      if (bus) bus.put(event);
      else queued.push(event);
    }
  };
  let dirty = false;
  const standIn = new PartnerCentralStandIn({
    now: () => opts.clock.now(),
    publish,
    changed: () => {
      dirty = true;
    },
    ...(saved ? { state: saved } : {}),
  });
  const save = (): void => {
    if (stateFile && dirty) writeFileSync(stateFile, JSON.stringify(standIn.state()));
    dirty = false;
  };
  const saver = stateFile ? setInterval(save, 1000) : undefined;
  saver?.unref();

  if (opts.partnersFile && existsSync(opts.partnersFile)) {
    const file = JSON.parse(readFileSync(opts.partnersFile, 'utf8')) as PartnerFile;
    for (const p of file.partners ?? []) {
      if (p.filing?.roleArn) standIn.registerRole(p.filing.roleArn, { externalId: p.filing.externalId });
    }
  }

  const server: Server = createPartnerCentralServer(standIn, opts.log);
  const url = await listen(server, opts.host, opts.port);
  const desk: PartnerCentralDesk = {
    standIn,
    setEventFate: (f) => {
      fate = f;
    },
    deliveryCount: () => bus?.deliveries.length ?? 0,
    deliveriesSince: async (from): Promise<EventDelivery[]> => {
      await bus?.settled();
      return bus?.deliveries.slice(from) ?? [];
    },
  };
  return {
    url,
    standIn,
    admin: partnerCentralAdmin(desk),
    bindBus: (b) => {
      bus = b;
      for (const e of queued.splice(0)) b.put(e);
    },
    close: async () => {
      if (saver) clearInterval(saver);
      save();
      await closeServer(server);
    },
  };
}
