// How a session looks in the API: the person, their company, what their roles let them do,
// the CSRF token and the features this server (and the feature flags) offer them.
import { Type } from 'typebox';
import { permissions, permissionsOfRoles } from '../auth/permissions.js';
import { presentCompany } from '../companies/companies.presenters.js';
import type { Config } from '../config/config.js';
import { presentPerson } from '../people/people.presenters.js';
import { iso } from '../http/schemas.js';
import type { SessionRow, SessionView } from './sessions.service.js';

export const PermissionSchema = Type.Union(permissions.map((permission) => Type.Literal(permission)), { $id: 'Permission' });

export const SessionSchema = Type.Object(
  {
    person: Type.Ref('Person'),
    company: Type.Ref('Company'),
    permissions: Type.Array(Type.Ref('Permission'), { description: 'What the person\'s roles let them do; the server checks every request again' }),
    csrfToken: Type.String(),
    features: Type.Object({ simulator: Type.Boolean({ description: 'Whether admins may play card purchases' }) }),
    mfaEnrollmentRequired: Type.Boolean({ description: 'The company requires two-step sign-in of this person and they have not set it up: every route but enrolment (/api/v1/me/mfa) and signing out answers 403 mfa_enrollment_required until they do' }),
  },
  { $id: 'Session' },
);

export const MfaChallengeSchema = Type.Object(
  {
    mfaRequired: Type.Literal(true),
    challenge: Type.String({ description: 'Send it back with a code to POST /api/v1/session/mfa' }),
    expiresAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'MfaChallenge', description: 'The password was right and the person has two-step sign-in: no session yet, a code is needed' },
);

export const CompanyChoiceSchema = Type.Object(
  {
    chooseCompany: Type.Literal(true),
    companies: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
  },
  { $id: 'CompanyChoice', description: 'The address and password are right in several companies: no session yet; sign in again with the chosen companyId' },
);

export const InvitationPreviewSchema = Type.Object(
  { email: Type.String(), name: Type.String(), companyName: Type.String(), expiresAt: Type.String({ format: 'date-time' }) },
  { $id: 'InvitationPreview', description: 'Who an invitation link is for, and to which company' },
);

/** OUTLAY_SIMULATOR is the outer switch; within it the `simulator` flag decides per company. */
const featuresOf = (config: Config, view: SessionView) => ({ simulator: config.simulatorEnabled && view.flags.simulator });

/** In the order of the permission list, so that the same roles always read the same. */
function permissionsOf(roles: SessionView['person']['roles']) {
  const granted = permissionsOfRoles(roles);
  return permissions.filter((permission) => granted.has(permission));
}

export function presentSession(view: SessionView, csrfToken: string, config: Config) {
  return {
    person: presentPerson(view.person),
    company: presentCompany(view.company),
    permissions: permissionsOf(view.person.roles),
    csrfToken,
    features: featuresOf(config, view),
    mfaEnrollmentRequired: view.mfaPending,
  };
}

export const OwnSessionSchema = Type.Object(
  {
    id: Type.String(),
    current: Type.Boolean({ description: 'Whether this is the session asking' }),
    createdAt: Type.String({ format: 'date-time' }),
    lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'Written at most once a minute' }),
    expiresAt: Type.String({ format: 'date-time' }),
    ipAddress: Type.Union([Type.String(), Type.Null()], { description: 'The client address it was started from' }),
    userAgent: Type.Union([Type.String(), Type.Null()], { description: 'What the browser that started it called itself' }),
  },
  { $id: 'OwnSession', description: 'A session of the signed-in person, as they see it to tell their sessions apart' },
);

export function presentOwnSession(row: SessionRow & { current: boolean }) {
  return {
    id: row.id,
    current: row.current,
    createdAt: iso(row.created_at),
    lastUsedAt: row.last_used_at ? iso(row.last_used_at) : null,
    expiresAt: iso(row.expires_at),
    ipAddress: row.client_ip,
    userAgent: row.user_agent,
  };
}
