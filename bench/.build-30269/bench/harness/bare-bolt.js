import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
/** The baseline for click → ack: Bolt's own receiver and dispatch, a handler that only acks. */
export async function startBareBolt(config) {
    const receiver = new HTTPReceiver({
        signingSecret: config.signingSecret,
        processBeforeResponse: false,
        logLevel: LogLevel.ERROR,
    });
    const app = new App({
        token: config.botToken,
        receiver,
        logLevel: LogLevel.ERROR,
        tokenVerificationEnabled: false,
        clientOptions: { slackApiUrl: config.slackApiUrl },
    });
    app.action(config.approveActionId, async ({ ack, action }) => {
        await ack();
        const value = typeof action.value === 'string' ? action.value : '';
        // Floor for click → sync: the least a bot can do between an ack and Argo CD seeing the sync.
        if (value.startsWith('floor:')) {
            await fetch(`${config.argocdUrl}/api/v1/applications/floor-sync/sync`, {
                method: 'POST',
                headers: { authorization: `Bearer ${config.argocdToken}`, 'content-type': 'application/json' },
                body: JSON.stringify({ revision: value.slice('floor:'.length) }),
            })
                .then((response) => response.arrayBuffer())
                .catch(() => undefined);
        }
    });
    const server = await receiver.start({ port: 0, host: '127.0.0.1' });
    return {
        port: server.address().port,
        close: () => receiver.stop(),
    };
}
