/** `10.0.0.11-10.0.0.19`: first and last address, inclusive. */
export const ADDRESS_RANGE = /^(\d{1,3}(?:\.\d{1,3}){3})-(\d{1,3}(?:\.\d{1,3}){3})$/;
