import type { WebhookPayload } from '../types.js';
import { child, type JsonRecord, readString, replaceInStrings, visitObjects } from './payload-access.js';

export interface PayloadTarget {
  owner: string;
  name: string;
  fullName: string;
  repoId: number;
  defaultBranch: string;
  /** The fake's API base, so links in the payload lead back to the fake. */
  apiUrl: string;
  htmlUrl: string;
  ownerAccount: JsonRecord;
}

/** Moves a real example from its sample repository (Codertocat/Hello-World, octo-org/octo-repo) to ours. */
export function retargetRepository(example: WebhookPayload, target: PayloadTarget): WebhookPayload {
  const repository = child(example, 'repository');
  const exampleFullName = readString(repository, 'full_name');
  const exampleOwner = readString(child(repository, 'owner'), 'login');
  const exampleId = repository.id;
  visitObjects(example, (object) => {
    if (object.full_name !== exampleFullName) return;
    object.name = target.name;
    if (object.id === exampleId) object.id = target.repoId;
    if ('default_branch' in object) object.default_branch = target.defaultBranch;
    if ('master_branch' in object) object.master_branch = target.defaultBranch;
    const owner = object.owner as JsonRecord | undefined;
    // Push payloads give the owner a name and email as well; keep those keys, with our owner.
    if (owner)
      object.owner = {
        ...('name' in owner ? { name: target.owner, email: null } : {}),
        ...target.ownerAccount,
      };
  });
  const organization = example.organization as JsonRecord | undefined;
  if (organization?.login === exampleOwner) {
    example.organization = replaceInStrings(organization, [[exampleOwner, target.owner]]);
  }
  return replaceInStrings(example, [
    [`https://api.github.com/repos/${exampleFullName}`, `${target.apiUrl}/repos/${target.fullName}`],
    [`https://github.com/${exampleFullName}`, `${target.htmlUrl}/${target.fullName}`],
    [exampleFullName, target.fullName],
  ]);
}
