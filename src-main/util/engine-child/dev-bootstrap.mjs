// Runs the TypeScript child entry from source (tests, `npm run dev`): registers tsx in this process, then
// imports the entry named by the first argument. Built apps fork out/main/transcriber-child.js directly.
const entry = process.argv[2];
// The entry reads its own arguments from the end of argv; it should not see its own URL there.
process.argv.splice(2, 1);
const { register } = await import('tsx/esm/api');
register();
await import(entry);
