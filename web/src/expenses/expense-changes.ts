// What a change to an expense (saved, submitted, decided, reopened, commented on, its
// receipt attached) moves besides the expense itself: the lists it is in, its history, the
// review queue and what is owed to its owner.
import type { GetPath } from '../api/queries';

export const expenseChanged: readonly GetPath[] = ['/api/v1/expenses', '/api/v1/expenses/{id}', '/api/v1/expenses/{id}/history', '/api/v1/expense-reviews', '/api/v1/payouts/owed'];
