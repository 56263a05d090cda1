// The slice of seek-bzip's API Marco uses (the package ships no types).
declare module 'seek-bzip' {
  const Bunzip: {
    decode(input: Uint8Array, output?: Uint8Array, multistream?: boolean): Buffer;
    /** One block, its magic at bit offset `pos` (the stream's header must start `input`). */
    decodeBlock(input: Uint8Array, pos: number): Buffer;
  };
  export default Bunzip;
}
