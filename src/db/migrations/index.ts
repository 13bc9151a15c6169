import type { Migration } from 'kysely';
import * as m0001 from './0001-initial.ts';
import * as m0002 from './0002-deadlines.ts';
import * as m0003 from './0003-channels.ts';
import * as m0004 from './0004-portal.ts';
import * as m0005 from './0005-audit-anchors.ts';
import * as m0006 from './0006-workspace.ts';
import * as m0007 from './0007-imports.ts';
import * as m0008 from './0008-improvement.ts';
import * as m0009 from './0009-analytics.ts';
import * as m0010 from './0010-reports.ts';
import * as m0011 from './0011-api-key-teams.ts';

/** Forward-only migrations, in order. Add a file, then add it here. */
export const migrations: Record<string, Migration> = {
  '0001-initial': m0001,
  '0002-deadlines': m0002,
  '0003-channels': m0003,
  '0004-portal': m0004,
  '0005-audit-anchors': m0005,
  '0006-workspace': m0006,
  '0007-imports': m0007,
  '0008-improvement': m0008,
  '0009-analytics': m0009,
  '0010-reports': m0010,
  '0011-api-key-teams': m0011,
};
