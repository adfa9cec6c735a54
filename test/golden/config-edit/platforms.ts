// Imported by the golden configs of add, as by the test's config (platforms.ts next to it).
export const armPlatforms = ['linux/arm64'];
