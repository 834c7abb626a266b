/** An Argo CD sync-window answer as one notice: closed when a manual sync is refused now, else the active windows. */
export function describeSyncWindows(windows) {
    const active = windows.activeWindows ?? [];
    const describe = () => active.map((w) => `${w.kind ?? 'deny'} ${w.schedule ?? ''} for ${w.duration ?? '?'}`.trim()).join('; ');
    if (windows.canSync === false)
        return {
            blocked: true,
            description: `manual syncs are blocked now${active.length ? ` (${describe()})` : ''}`,
        };
    if (active.length > 0)
        return { blocked: false, description: `active: ${describe()}` };
    return undefined;
}
