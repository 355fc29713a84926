/**
 * A worksheet from a request body, validated exactly as intake does (shape, then domain rules such as model ids). The
 * shape is checked by the checker compiled from the zod schema (functions/core/worksheet-shape.generated.ts): zod's
 * answers, without zod in the bundle (issue 11 §1).
 */
import type { Worksheet } from '../../schemas/worksheet.ts';
import { ValidationError } from '../core/errors.ts';
import { worksheetDomainProblems } from '../core/intake.ts';
import { WorksheetShape } from '../core/worksheet-shape.generated.ts';
import { checkOr400, jsonBody, type HttpEvent } from './middleware.ts';

export function parseWorksheet(event: HttpEvent): Worksheet {
  const worksheet = checkOr400(WorksheetShape, jsonBody(event));
  const problems = worksheetDomainProblems(worksheet);
  if (problems.length > 0) throw new ValidationError(problems);
  return worksheet;
}
