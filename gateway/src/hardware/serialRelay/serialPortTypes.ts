import { loadOptional } from "../loadOptional.js";

/** The part of serialport (v13) the relay adapter uses, so a fake can stand in for it. */
export interface SerialPortLike {
  readonly isOpen: boolean;
  open(callback: (error: Error | null) => void): void;
  write(data: Uint8Array, callback: (error: Error | null | undefined) => void): boolean;
  close(callback?: (error: Error | null) => void): void;
  on(event: "close", listener: (error?: Error & { disconnected?: boolean }) => void): this;
  on(event: "error", listener: (error: Error) => void): this;
  on(event: "data", listener: (chunk: Buffer) => void): this;
  removeAllListeners(): this;
}

export type SerialPortFactory = (path: string, baudRate: number) => SerialPortLike;

interface SerialPortModule {
  SerialPort: new (options: {
    path: string;
    baudRate: number;
    autoOpen: boolean;
  }) => SerialPortLike;
}

export async function serialportFactory(): Promise<SerialPortFactory> {
  const module = await loadOptional<SerialPortModule>("serialport");
  return (path, baudRate) => new module.SerialPort({ path, baudRate, autoOpen: false });
}
