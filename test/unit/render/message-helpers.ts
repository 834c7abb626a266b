import type { Block, ButtonElement, SlackMessage } from '../../../src/render/block-kit.js';

export function findButtons(message: SlackMessage): ButtonElement[] {
  return message.blocks.flatMap((b) => (b.type === 'actions' ? b.elements : []));
}

export function actionIdsOf(message: SlackMessage): string[] {
  return findButtons(message).map((b) => b.action_id);
}

/** Every piece of text a reader (or Slack's mention parser) sees, fallback text included. */
function collectTexts(message: SlackMessage): string[] {
  const texts = [message.text];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (typeof value === 'object' && value !== null) {
      for (const [key, inner] of Object.entries(value)) {
        if (key === 'text' && typeof inner === 'string') texts.push(inner);
        else visit(inner);
      }
    }
  };
  visit(message.blocks);
  return texts;
}

export function allText(message: SlackMessage): string {
  return collectTexts(message).join('\n');
}

export function blockById(message: SlackMessage, id: string): Block | undefined {
  return message.blocks.find((b) => b.block_id === id);
}

export function sectionText(message: SlackMessage, id: string): string {
  const block = blockById(message, id);
  if (block?.type !== 'section') throw new Error(`no section ${id}`);
  return [block.text?.text ?? '', ...(block.fields ?? []).map((f) => f.text)].join('\n');
}
