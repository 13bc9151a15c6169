import { createContext, useContext } from 'react';
import type { Me } from './types.ts';

export interface SessionValue {
  me: Me;
  signOut: () => void;
}

export const SessionContext = createContext<SessionValue | null>(null);

/** The signed-in user (screens are only rendered once signed in). */
export function useSession(): SessionValue {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a session');
  return s;
}

/** What each role may open in the workspace (the API enforces the same; this only decides what is shown). */
export const can = {
  intake: (me: Me) => ['intake', 'handler', 'manager'].includes(me.role),
  bulk: (me: Me) => me.role === 'manager',
  approve: (me: Me) => me.role === 'manager',
  administer: (me: Me) => me.role === 'admin',
  /** KPIs, trends and regulator returns (IMP-1, IMP-2, IMP-5). */
  analyse: (me: Me) => ['manager', 'quality', 'auditor', 'admin'].includes(me.role),
  /** Root causes, corrective actions and systemic issues (IMP-3, IMP-4). */
  improve: (me: Me) => ['manager', 'quality', 'auditor', 'admin'].includes(me.role),
  /** Bulk import of historical complaints (API-3). */
  importData: (me: Me) => ['manager', 'quality', 'admin'].includes(me.role),
};
