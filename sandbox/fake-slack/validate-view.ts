import { checkString, checkTextObject, isObject, Problems } from './block-kit-rules.js';
import { checkBlockList, MAX_VIEW_BLOCKS } from './validate-blocks.js';

/**
 * Slack's rules for a modal or Home tab view (views.open / views.update / response_action update|push).
 * Returns the problems, empty when the view is valid.
 */
export function validateView(view: unknown, pointer = '/view'): string[] {
  const p = new Problems();
  if (!isObject(view)) {
    p.add(pointer, 'must be a view object');
    return p.list;
  }
  if (view.type !== 'modal' && view.type !== 'home') {
    p.add(`${pointer}/type`, 'must be one of modal, home');
  }
  const modal = view.type === 'modal';
  checkTextObject(p, view, 'title', pointer, { max: 24, plainOnly: true, required: modal });
  checkTextObject(p, view, 'submit', pointer, { max: 24, plainOnly: true });
  checkTextObject(p, view, 'close', pointer, { max: 24, plainOnly: true });
  checkString(p, view, 'private_metadata', pointer, { max: 3000 });
  checkString(p, view, 'callback_id', pointer, { max: 255 });
  checkString(p, view, 'external_id', pointer, { max: 255 });
  if (view.blocks === undefined) p.add(pointer, 'missing required field: blocks');
  else checkBlockList(p, view.blocks, `${pointer}/blocks`, MAX_VIEW_BLOCKS);
  const hasInput = Array.isArray(view.blocks) && view.blocks.some((b) => isObject(b) && b.type === 'input');
  if (modal && hasInput && view.submit === undefined) {
    p.add(pointer, 'missing required field: submit (a modal with input blocks needs a submit button)');
  }
  return p.list;
}
