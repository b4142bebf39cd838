/** The gateway's version, as its status reports it (`passerelle-gateway 0.1.0`). */
export const gatewayVersion = "0.1.0";
