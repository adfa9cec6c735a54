/**
 * Questions on a terminal for `multiarch init`: one line each, the default in brackets, Enter
 * takes it. Commands get an `Ask` function, so tests script the answers. Edge: reads stdin.
 */
import process from 'node:process';
import readline from 'node:readline/promises';

/** Asks `question`; an empty answer is `fallback`. */
export type Ask = (question: string, fallback: string) => Promise<string>;

export interface Prompter {
  readonly ask: Ask;
  readonly close: () => void;
}

/** A prompter on the process's terminal, or undefined when stdin is not one (CI, pipes). */
export function createTerminalPrompter(): Prompter | undefined {
  if (!process.stdin.isTTY) return undefined;
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  return {
    ask: async (question, fallback) => {
      const answer = (await rl.question(`${question}${fallback ? ` [${fallback}]` : ''}: `)).trim();
      return answer || fallback;
    },
    close: () => rl.close(),
  };
}
