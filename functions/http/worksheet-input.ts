/** A worksheet from a request body, validated exactly as intake does (shape, then domain rules such as model ids). */
import { Worksheet } from '../../schemas/worksheet.ts';
import { ValidationError } from '../core/errors.ts';
import { worksheetDomainProblems } from '../core/intake.ts';
import { jsonBody, parseOr400, type HttpEvent } from './middleware.ts';

export function parseWorksheet(event: HttpEvent): Worksheet {
  const worksheet = parseOr400(Worksheet, jsonBody(event));
  const problems = worksheetDomainProblems(worksheet);
  if (problems.length > 0) throw new ValidationError(problems);
  return worksheet;
}
