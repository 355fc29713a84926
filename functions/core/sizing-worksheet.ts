/**
 * What the sizing engine reads of a worksheet. SizeAsk hands it to EstimateAsk through the workflow's state, which
 * Step Functions keeps in the execution history: so it carries nothing personal (no contact, address, account id or
 * use-case text), only what the estimate, eligibility and stacking read. The type checker holds the engine to it.
 */
import type { Worksheet } from '../../schemas/worksheet.ts';

export interface SizingWorksheet {
  company: Pick<Worksheet['company'], 'website' | 'foundedOn' | 'stage' | 'institutionalFunding' | 'priorCreditsUsd' | 'aiFirst'>;
  aws: Pick<Worksheet['aws'], 'region'>;
  useCase: Pick<Worksheet['useCase'], 'poc'>;
  workload: Worksheet['workload'];
  otherServices: Worksheet['otherServices'];
}

export function sizingWorksheetOf(w: Worksheet): SizingWorksheet {
  const { website, foundedOn, stage, institutionalFunding, priorCreditsUsd, aiFirst } = w.company;
  return {
    company: { website, foundedOn, stage, institutionalFunding, priorCreditsUsd, aiFirst },
    aws: { region: w.aws.region },
    useCase: { poc: w.useCase.poc },
    workload: w.workload,
    otherServices: w.otherServices,
  };
}
