import gw from '@chirpstack/chirpstack-api/gw/gw_pb.js';
import timestamp from 'google-protobuf/google/protobuf/timestamp_pb.js';

/**
 * What the ChirpStack Gateway Bridge publishes for a received LoRa frame, so the simulator can
 * feed a real ChirpStack network server as if it were a gateway: a `gw.UplinkFrame` protobuf on
 * `{regionPrefix}/gateway/{gatewayId}/event/up`.
 */

export type CodeRate = '4/5' | '4/6' | '4/7' | '4/8';

const CODE_RATES: Record<CodeRate, gw.CodeRateMap[keyof gw.CodeRateMap]> = {
  '4/5': gw.CodeRate.CR_4_5,
  '4/6': gw.CodeRate.CR_4_6,
  '4/7': gw.CodeRate.CR_4_7,
  '4/8': gw.CodeRate.CR_4_8,
};

/** How one gateway heard one frame. */
export interface GatewayReception {
  /** EUI-64, 16 lowercase hex digits */
  gatewayId: string;
  /** Hz, e.g. 868100000 */
  frequency: number;
  /** Hz, e.g. 125000 */
  bandwidth: number;
  spreadingFactor: number;
  codeRate: CodeRate;
  /** dBm */
  rssi: number;
  /** dB */
  snr: number;
  /** the gateway's clock at reception */
  time: Date;
  /**
   * Concentrator counter at reception, µs, wrapping at 2^32 (the packet forwarder's `tmst`).
   * ChirpStack hands it back in the downlink so the gateway can hit the class A receive window.
   */
  tmst: number;
  /** random id the bridge gives each reception, for tracing it through the network server */
  uplinkId: number;
  channel?: number;
  rfChain?: number;
}

export interface MqttMessage {
  topic: string;
  payload: Uint8Array;
}

/** ChirpStack's regional topic prefix for EU868 gateways. */
export const EU868 = 'eu868';

export function gatewayUplinkTopic(gatewayId: string, regionPrefix = EU868): string {
  return `${regionPrefix}/gateway/${gatewayId}/event/up`;
}

export function gatewayUplink(phyPayload: Uint8Array, rx: GatewayReception, regionPrefix = EU868): MqttMessage {
  if (!/^[0-9a-f]{16}$/.test(rx.gatewayId))
    throw new RangeError(`gateway id must be 16 lowercase hex digits: ${rx.gatewayId}`);

  const lora = new gw.LoraModulationInfo();
  lora.setBandwidth(rx.bandwidth);
  lora.setSpreadingFactor(rx.spreadingFactor);
  lora.setCodeRate(CODE_RATES[rx.codeRate]);
  const modulation = new gw.Modulation();
  modulation.setLora(lora);
  const txInfo = new gw.UplinkTxInfo();
  txInfo.setFrequency(rx.frequency);
  txInfo.setModulation(modulation);

  const context = new Uint8Array(4);
  new DataView(context.buffer).setUint32(0, rx.tmst >>> 0);
  const rxInfo = new gw.UplinkRxInfo();
  rxInfo.setGatewayId(rx.gatewayId);
  rxInfo.setUplinkId(rx.uplinkId);
  rxInfo.setGwTime(timestamp.Timestamp.fromDate(rx.time));
  rxInfo.setRssi(rx.rssi);
  rxInfo.setSnr(rx.snr);
  rxInfo.setChannel(rx.channel ?? 0);
  rxInfo.setRfChain(rx.rfChain ?? 0);
  rxInfo.setContext(context);
  rxInfo.setCrcStatus(gw.CRCStatus.CRC_OK);

  const frame = new gw.UplinkFrame();
  frame.setPhyPayload(phyPayload);
  frame.setTxInfo(txInfo);
  frame.setRxInfo(rxInfo);
  return { topic: gatewayUplinkTopic(rx.gatewayId, regionPrefix), payload: frame.serializeBinary() };
}
