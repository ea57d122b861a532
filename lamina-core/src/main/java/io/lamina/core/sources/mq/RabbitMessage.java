package io.lamina.core.sources.mq;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.Consumer;

/**
 * One delivery from a RabbitMQ queue, with its message already in the event's form (rendered once: the
 * 6 MB bound, filters and the event all read it).
 *
 * @param deliveryTag  the channel's tag for acking or nacking it
 * @param subscription the consumer it came through; a tag means nothing on another channel
 */
record RabbitMessage(long deliveryTag, Consumer subscription, ObjectNode message, int size) {
}
