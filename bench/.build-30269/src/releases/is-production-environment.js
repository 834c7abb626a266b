/** Release announcements and GitHub's `production_environment` flag both mean these names. */
export function isProductionEnvironment(name) {
    const lower = name.toLowerCase();
    return lower === 'prod' || lower === 'production';
}
