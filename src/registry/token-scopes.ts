/**
 * The token scopes a request asks the registry's auth server for (distribution's token spec):
 * reading a repository, or writing it (which includes reading, for blob mounts and HEAD checks).
 */
export const pull = (repo: string) => `repository:${repo}:pull`;
export const pushPull = (repo: string) => `repository:${repo}:pull,push`;
