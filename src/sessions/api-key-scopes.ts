// The scopes an API key may hold, as the web app offers them: every one the server knows,
// with what it allows, in groups in the order of the permission list.
import { apiKeyScopes, permissionDescriptions, type Permission } from '../auth/permissions.js';

export interface ScopeGroup {
  name: string;
  scopes: { scope: Permission; description: string }[];
}

export function scopeGroups(): ScopeGroup[] {
  const groups = new Map<string, ScopeGroup>();
  for (const scope of apiKeyScopes) {
    const { group, description } = permissionDescriptions[scope];
    const found = groups.get(group) ?? { name: group, scopes: [] };
    found.scopes.push({ scope, description });
    groups.set(group, found);
  }
  return [...groups.values()];
}
