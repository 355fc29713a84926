/** Public `POST /estimates`: the sizing engine on a worksheet, nothing saved. */
import { systemClock } from '../adapters/clock.ts';
import { estimate } from '../core/estimate.ts';
import { httpHandler, json, type HttpEvent } from './middleware.ts';
import { parseWorksheet } from './worksheet-input.ts';

async function estimateOnly(event: HttpEvent) {
  const worksheet = parseWorksheet(event);
  return json(200, estimate(worksheet, { now: systemClock.now() }));
}

export const handler = httpHandler({ 'POST /estimates': estimateOnly });
