import { describe, expect, it } from 'vitest';
import { applyConfigInstruction } from '../../../src/direct/config-instructions.js';
import { readDockerfile } from '../../../src/dockerfile/read.js';
import { envMap, type ImageConfig } from '../../../src/direct/image-config.js';

/** Applies a Dockerfile's config instructions (after its FROM) to an empty config, as assembleImage does. */
function apply(text: string, base: ImageConfig = { config: { Env: [] } }): ImageConfig {
  const config = structuredClone(base);
  const state = { cmdSet: false };
  for (const ins of readDockerfile(text).instructions.slice(1)) applyConfigInstruction(config, ins, envMap(config), state);
  return config;
}

describe('applyConfigInstruction', () => {
  it('takes CMD, ENTRYPOINT, SHELL and VOLUME in JSON form as written and shell forms through SHELL', () => {
    const c = apply('FROM x\nVOLUME ["/a", "/b c"]\nVOLUME /d /e\nENTRYPOINT ["/bin/app", "--flag"]\nCMD echo "hi  there"\n')!.config!;
    expect(c.Volumes).toEqual({ '/a': {}, '/b c': {}, '/d': {}, '/e': {} });
    expect(c.Entrypoint).toEqual(['/bin/app', '--flag']);
    expect(c.Cmd).toEqual(['/bin/sh', '-c', 'echo "hi  there"']);
    expect(c.ArgsEscaped).toBe(true);
    const s = apply('FROM x\nSHELL ["/bin/bash", "-e", "-c"]\nENTRYPOINT exec app\nCMD ["--x"]\n')!.config!;
    expect(s.Shell).toEqual(['/bin/bash', '-e', '-c']);
    expect(s.Entrypoint).toEqual(['/bin/bash', '-e', '-c', 'exec app']);
    expect(s.Cmd).toEqual(['--x']);
    expect(s.ArgsEscaped).toBeUndefined();
  });

  it('reads ENV and LABEL key=value pairs (quoted, continued, expanded with the ENV before it) and the legacy `ENV key value`', () => {
    const c = apply('FROM x\nENV A=1 B="two words" \\\n    C=${A}x\nENV LEGACY some value $A\nLABEL "org.x"="y z" k=v\n')!.config!;
    expect(c.Env).toEqual(['A=1', 'B=two words', 'C=x', 'LEGACY=some value 1']);
    expect(c.Labels).toEqual({ 'org.x': 'y z', k: 'v' });
  });

  it('sets USER, EXPOSE, STOPSIGNAL, HEALTHCHECK and keeps ONBUILD as written', () => {
    const c = apply('FROM x\nENV P=8080\nUSER 1000:1000\nEXPOSE 80 $P/udp 9000-9001\nSTOPSIGNAL SIGTERM\nHEALTHCHECK --interval=30s --retries=3 CMD ["curl", "-f", "x"]\nONBUILD COPY  a  /b\n')!.config!;
    expect(c.User).toBe('1000:1000');
    expect(Object.keys(c.ExposedPorts!)).toEqual(['80/tcp', '8080/udp', '9000/tcp', '9001/tcp']);
    expect(c.StopSignal).toBe('SIGTERM');
    expect(c.Healthcheck).toEqual({ Test: ['CMD', 'curl', '-f', 'x'], Interval: 30e9, Retries: 3 });
    expect(c.OnBuild).toEqual(['COPY  a  /b']);
    expect(apply('FROM x\nHEALTHCHECK --timeout=1s CMD curl -f x || exit 1\n').config!.Healthcheck).toEqual({ Test: ['CMD-SHELL', 'curl -f x || exit 1'], Timeout: 1e9 });
    expect(apply('FROM x\nHEALTHCHECK NONE\n').config!.Healthcheck).toEqual({ Test: ['NONE'] });
  });

  it('drops an inherited CMD on ENTRYPOINT but keeps one set in the stage', () => {
    expect(apply('FROM x\nENTRYPOINT ["a"]\n', { config: { Cmd: ['sh'] } }).config!.Cmd).toBeNull();
    expect(apply('FROM x\nCMD ["b"]\nENTRYPOINT ["a"]\n', { config: { Cmd: ['sh'] } }).config!.Cmd).toEqual(['b']);
  });
});
