import type { FakeSlackChannel, FakeSlackUser, FakeSlackUsergroup } from '../fake-slack/index.js';

/** Names for the ids inside messages (`<@U…>`, `<!subteam^S…>`, `<#C…>`). */
export interface Directory {
  userName(id: string): string | undefined;
  groupHandle(id: string): string | undefined;
  channelName(id: string): string | undefined;
}

export function createDirectory(input: {
  users: FakeSlackUser[];
  usergroups: FakeSlackUsergroup[];
  channels: FakeSlackChannel[];
}): Directory {
  return {
    userName: (id) => input.users.find((u) => u.id === id)?.name,
    groupHandle: (id) => input.usergroups.find((g) => g.id === id)?.handle,
    channelName: (id) => input.channels.find((c) => c.id === id)?.name,
  };
}
