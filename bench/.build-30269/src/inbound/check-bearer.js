import { createHash, timingSafeEqual } from 'node:crypto';
/** Constant-time Bearer check; hashing first makes the comparison independent of the secret's length. */
export function checkBearer(header, secret) {
    if (!header?.startsWith('Bearer '))
        return false;
    const given = createHash('sha256').update(header.slice(7)).digest();
    const expected = createHash('sha256').update(secret).digest();
    return timingSafeEqual(given, expected);
}
