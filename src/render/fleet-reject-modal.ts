/** Reject on a fleet card asks for a reason in the same modal as an app card, under its own callback id. */
import type { ModalView } from './block-kit.js';
import { VIEW_IDS } from './ids.js';
import { renderRejectModal } from './reject-modal.js';

export function renderFleetRejectModal(input: {
  cardId: string;
  group: string;
  environment: string;
  shortSha: string;
  channel: string;
  messageTs: string;
}): ModalView {
  return {
    ...renderRejectModal({ ...input, app: input.group }),
    callback_id: VIEW_IDS.fleetRejectReason,
  };
}
