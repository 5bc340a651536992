package csirt.agent.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import io.netty.buffer.Unpooled;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MaxMessagesRecvByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import org.junit.jupiter.api.Test;

/** The UDP batcher with netty's own channel: datagrams of one read loop leave as one batch; the socket reads many per wake-up. */
class UdpBatcherTest {

    @Test
    void the_fixed_allocator_of_the_route_reads_many_datagrams_per_wake_up() {
        EmbeddedChannel ch = new EmbeddedChannel();
        // what the route's receiveBufferSizePredictor sets: netty's default for it is one message per read
        ch.config().setRecvByteBufAllocator(new FixedRecvByteBufAllocator(65536));
        assertThat(((MaxMessagesRecvByteBufAllocator) ch.config().getRecvByteBufAllocator()).maxMessagesPerRead()).isEqualTo(1);
        ch.pipeline().addLast(new UdpBatcher());
        assertThat(((MaxMessagesRecvByteBufAllocator) ch.config().getRecvByteBufAllocator()).maxMessagesPerRead())
                .isEqualTo(UdpBatcher.MAX_DATAGRAMS_PER_READ);
    }

    @Test
    void one_read_loop_is_one_batch_in_order_with_each_sender() {
        EmbeddedChannel ch = new EmbeddedChannel(new UdpBatcher());
        InetSocketAddress to = new InetSocketAddress("127.0.0.1", 514);
        InetSocketAddress a = new InetSocketAddress("127.0.0.1", 40001);
        InetSocketAddress b = new InetSocketAddress("127.0.0.1", 40002);
        ch.pipeline().fireChannelRead(new DatagramPacket(Unpooled.copiedBuffer("one", StandardCharsets.UTF_8), to, a));
        ch.pipeline().fireChannelRead(new DatagramPacket(Unpooled.copiedBuffer("two", StandardCharsets.UTF_8), to, b));
        ch.pipeline().fireChannelRead(new DatagramPacket(Unpooled.copiedBuffer("three", StandardCharsets.UTF_8), to, a));
        assertThat((Object) ch.readInbound()).isNull();
        ch.pipeline().fireChannelReadComplete();
        AddressedEnvelope<?, ?> out = ch.readInbound();
        UdpBatcher.Datagrams batch = (UdpBatcher.Datagrams) out.content();
        assertThat(batch.datagrams()).extracting(d -> new String(d.bytes(), StandardCharsets.UTF_8)).containsExactly("one", "two", "three");
        assertThat(batch.datagrams()).extracting(UdpBatcher.Datagram::sender).containsExactly(a, b, a);
        assertThat((Object) ch.readInbound()).isNull();
    }
}
