import { conflict, notFound, ProblemException } from '../common/errors/problem.exception.js';

/** Codes of the tenant business domain (issue #5), all through the one problem+json filter. */
export const DomainErrors = {
  notFound: (entity: string): ProblemException =>
    notFound(
      `${entity.toUpperCase().replace(/[^A-Z]+/g, '_')}_NOT_FOUND`,
      `No such ${entity.replace(/_/g, ' ')}.`,
    ),
  skuTaken: (): ProblemException => conflict('SKU_TAKEN', 'A product with this SKU already exists.'),
  insufficientStock: (available: number): ProblemException =>
    conflict('INSUFFICIENT_STOCK', `Not enough stock: ${available} available.`),
  invalidTransition: (from: string, to: string): ProblemException =>
    conflict('INVALID_TRANSITION', `A purchase request that is ${from} cannot be ${to}.`),
  selfApproval: (): ProblemException =>
    conflict('SELF_APPROVAL', 'The requester cannot approve their own request.'),
};
