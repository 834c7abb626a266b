import { readFile } from 'node:fs/promises';
import { crossFieldEnvProblems, envSchema } from './env-schema.js';
import { describeIssue, PolicyFileError, parsePolicy } from './policy-schema.js';
/** One error for every problem found, so an operator fixes the configuration in one pass. */
export class ConfigError extends Error {
    problems;
    code = 'config_invalid';
    constructor(problems) {
        super(`deploybot cannot start: ${problems.length} configuration problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
        this.problems = problems;
    }
}
function deepFreeze(value) {
    if (value && typeof value === 'object' && !Object.isFrozen(value)) {
        Object.freeze(value);
        for (const inner of Object.values(value))
            deepFreeze(inner);
    }
    return value;
}
export async function loadConfig({ env = process.env, readText } = {}) {
    const problems = [];
    // Empty strings come from `FOO=` lines in env files; treat them as unset so "required" reads right.
    const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
    const parsedEnv = envSchema.safeParse(cleaned);
    if (!parsedEnv.success)
        problems.push(...parsedEnv.error.issues.map((i) => `env ${describeIssue(i)}`));
    problems.push(...crossFieldEnvProblems(cleaned).map((p) => `env ${p}`));
    const policyPath = cleaned.DEPLOYBOT_CONFIG ?? './deploybot.yaml';
    let policy;
    try {
        const text = await (readText ?? ((p) => readFile(p, 'utf8')))(policyPath);
        policy = parsePolicy(text);
    }
    catch (error) {
        if (error instanceof PolicyFileError)
            problems.push(...error.problems.map((p) => `${policyPath} ${p}`));
        else if (error.code === 'ENOENT')
            problems.push(`${policyPath}: file not found (set DEPLOYBOT_CONFIG to the policy file; see deploybot.example.yaml)`);
        else
            problems.push(`${policyPath}: cannot be read (${error.message})`);
    }
    if (problems.length > 0 || !parsedEnv.success || !policy)
        throw new ConfigError(problems);
    return deepFreeze({ env: parsedEnv.data, policy, policyPath });
}
